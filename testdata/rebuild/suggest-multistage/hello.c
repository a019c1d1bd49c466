#include <stdio.h>
int main(void) { puts("greetings from a multi-stage build"); return 0; }
