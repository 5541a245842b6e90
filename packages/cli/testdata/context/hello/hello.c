#include <stdio.h>
int main(){printf("hello\n");}
