from tinygreet import greet
print(greet())
