/*
 * main.c - the quotetrail command table.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"extract", cmd_extract, "find quotes and their speakers in articles; print, store nothing"},
    {"ingest", cmd_ingest, "extract and store articles, people and quotes in a database"},
    {"quotes", cmd_quotes, "list stored quotes, by speaker, venue or words"},
    {"people", cmd_people, "list the people in stored articles, with aliases and quote counts"},
    {"dups", cmd_dups, "list near-duplicate articles: copies, reprints, syndicated stories"},
    {"clusters", cmd_clusters, "group the same quote across articles, with its earliest carrier"},
    {"trace", cmd_trace, "follow a quote: every carrier in date order, wording changes, first venue"},
    {"link", cmd_link, "store records made by 'extract --fingerprints' elsewhere (scale-out)"},
    {"stories", cmd_stories, "group articles into stories by shared copies, quotes and people"},
    {"articles", cmd_articles, "list stored articles by date, given or inferred from the collection"},
};

static void usage(FILE *f)
{
    fputs("usage: quotetrail COMMAND [ARGS...]\n"
          "\n"
          "quotetrail reads news articles and tells who said what, to whom.\n"
          "\n"
          "Commands:\n", f);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fputs("\n"
          "Run 'quotetrail COMMAND --help' for a command's options.\n"
          "\n"
          "Example:\n"
          "  quotetrail extract examples/articles     who said what, as a table\n"
          "  quotetrail ingest examples               store them in ./quotetrail.db\n"
          "  quotetrail quotes --speaker brannock     what one person said, across articles\n"
          "  quotetrail people                        who is quoted most, and by which names\n"
          "  quotetrail dups                          which stored articles copy each other\n"
          "  quotetrail trace harbour wall            where a quote came from, how it changed\n"
          "  quotetrail link shards/                  store records extracted on other machines\n",
          f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return QT_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return cli_finish(QT_EXIT_OK);
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("quotetrail %s (engine %d, schema %d)\n", QT_VERSION, QT_ENGINE_VERSION, QT_SCHEMA);
        return cli_finish(QT_EXIT_OK);
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(cmd, commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "quotetrail: '%s' is not a command\n\n", cmd);
    usage(stderr);
    return QT_EXIT_USAGE;
}
