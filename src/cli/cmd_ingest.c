#include "cli.h"
int cmd_ingest(int argc, char **argv) { (void)argc; (void)argv; return QT_EXIT_USAGE; }
