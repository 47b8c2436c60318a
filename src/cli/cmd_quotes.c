#include "cli.h"
int cmd_quotes(int argc, char **argv) { (void)argc; (void)argv; return QT_EXIT_USAGE; }
