/*
 * batch.c - writes in batches, for the commands that store articles (ingest, link).
 *
 * A batch is one transaction of up to CLI_BATCH_SIZE writes: a killed run loses at most the open
 * batch and the store holds only whole articles. What a batch counts (new articles, quotes ...)
 * stays pending until it commits, so the summary never counts what a rollback took back. After
 * a database error the run stops: b->err says why, and nothing more is written.
 */
#include "cli.h"

static void reset(cli_batch *b)
{
    b->open = 0;
    b->n = 0;
    for (int i = 0; i < CLI_BATCH_COUNTS; i++)
        b->pending[i] = 0;
}

qt_status cli_batch_open(cli_batch *b)
{
    if (b->open)
        return QT_OK;
    qt_status rc = qt_db_begin(b->db, &b->err);
    if (rc != QT_OK) {
        cli_batch_abandon(b);
        return rc;
    }
    b->open = 1;
    return QT_OK;
}

qt_status cli_batch_flush(cli_batch *b)
{
    if (!b->open)
        return QT_OK;
    qt_status rc = qt_db_commit(b->db, &b->err);
    if (rc != QT_OK) {
        qt_db_rollback(b->db, NULL);
        b->stopped = 1;
    } else {
        for (int i = 0; i < CLI_BATCH_COUNTS; i++)
            b->total[i] += b->pending[i];
    }
    reset(b);
    return rc;
}

void cli_batch_abandon(cli_batch *b)
{
    if (b->open)
        qt_db_rollback(b->db, NULL);
    reset(b);
    b->stopped = 1;
}

qt_status cli_batch_wrote(cli_batch *b)
{
    return ++b->n >= CLI_BATCH_SIZE ? cli_batch_flush(b) : QT_OK;
}

/* Dates are the collection's, so they are recomputed once the run's articles are all in
 * (qt_db_infer_dates() rewrites them whole, whatever the order articles came in). A failure
 * leaves the previous dates and is reported; the articles stay stored. */
int cli_infer_dates(cli_batch *b)
{
    qt_err err = {0};
    if (b->stopped)
        return 0;
    if (qt_db_infer_dates(b->db, NULL, &err) != QT_OK) {
        cli_error("%s", err.msg);
        cli_error("the articles are stored, but their inferred dates are those of the last "
                  "run");
        return -1;
    }
    return 0;
}
