#include "quotetrail.h"
int main(void) { return 0; }
