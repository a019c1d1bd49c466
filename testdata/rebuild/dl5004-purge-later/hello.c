#include <stdio.h>
int main(void) { puts("greetings from C"); return 0; }
