-- invariants.sql - the store's invariants as queries, for tests/slow/kill-ingest and
-- tests/cli/test_kill.sh. Each row is "name count": the count of rows breaking the invariant,
-- so every count must be 0. Foreign keys and the FTS5 index are checked apart (PRAGMA
-- foreign_key_check, the 'integrity-check' command); these are what the schema cannot say.
-- Run on a database at the current schema version (src/store/store.c, migrations[]).

-- one row per text: the content hash is the article's key
SELECT 'duplicate article hash', count(*) FROM
    (SELECT hash FROM articles GROUP BY hash HAVING count(*) > 1);
-- every row of an article's analysis belongs to a stored article (also checked as foreign
-- keys, but foreign_key_check trusts the declared keys; these say it in the schema's terms)
SELECT 'quote of a missing article', count(*) FROM quotes
    WHERE article NOT IN (SELECT id FROM articles);
SELECT 'person of a missing article', count(*) FROM people
    WHERE article NOT IN (SELECT id FROM articles);
SELECT 'alias of a missing person', count(*) FROM aliases
    WHERE person NOT IN (SELECT id FROM people);
SELECT 'alias in another article than its person', count(*) FROM aliases al
    JOIN people p ON p.id = al.person WHERE p.article <> al.article;
SELECT 'quote speaker in another article', count(*) FROM quotes q
    JOIN people p ON p.id = q.person WHERE p.article <> q.article;
SELECT 'quote key of a missing quote', count(*) FROM qkeys
    WHERE quote NOT IN (SELECT id FROM quotes);
SELECT 'signature of a missing article', count(*) FROM signatures
    WHERE article NOT IN (SELECT id FROM articles);
SELECT 'date of a missing article', count(*) FROM article_dates
    WHERE article NOT IN (SELECT id FROM articles);
SELECT 'copy of a missing article', count(*) FROM copies
    WHERE article NOT IN (SELECT id FROM articles);
-- an article is stored whole (qt_db_put()'s savepoint): with its own copy row, its signature,
-- and its quotes, people and times numbered 0..n-1 without a gap
SELECT 'article without a copy row', count(*) FROM articles a
    WHERE NOT EXISTS (SELECT 1 FROM copies c WHERE c.article = a.id);
SELECT 'article without a signature', count(*) FROM articles a
    WHERE length(CAST(a.text AS BLOB)) > 0
      AND NOT EXISTS (SELECT 1 FROM signatures s WHERE s.article = a.id);
SELECT 'quotes numbered with a gap', count(*) FROM
    (SELECT article FROM quotes GROUP BY article HAVING count(*) <> max(ord) + 1);
SELECT 'people numbered with a gap', count(*) FROM
    (SELECT article FROM people GROUP BY article HAVING count(*) <> max(ord) + 1);
SELECT 'times numbered with a gap', count(*) FROM
    (SELECT article FROM times GROUP BY article HAVING count(*) <> max(ord) + 1);
SELECT 'nested quote without its parent', count(*) FROM quotes q
    WHERE parent_qid IS NOT NULL AND NOT EXISTS
        (SELECT 1 FROM quotes p WHERE p.article = q.article AND p.qid = q.parent_qid);
-- offsets: a quote is exactly text[start:end] (or the title's slice), in UTF-8 bytes
SELECT 'quote offsets outside the text', count(*) FROM quotes q JOIN articles a ON a.id = q.article
    WHERE q.start < 0 OR q."end" > length(CAST(CASE WHEN q.in_title THEN a.title ELSE a.text END
                                               AS BLOB));
SELECT 'quote text is not text[start:end]', count(*) FROM quotes q
    JOIN articles a ON a.id = q.article
    WHERE CAST(substr(CAST(CASE WHEN q.in_title THEN a.title ELSE a.text END AS BLOB),
                      q.start + 1, q."end" - q.start) AS TEXT) <> q.text;
SELECT 'block offsets outside the text', count(*) FROM blocks b JOIN articles a ON a.id = b.article
    WHERE b.start < 0 OR b.start > b."end" OR b."end" > length(CAST(a.text AS BLOB));
SELECT 'time offsets outside the text', count(*) FROM times t JOIN articles a ON a.id = t.article
    WHERE t.start < 0 OR t.start > t."end"
       OR t."end" > length(CAST(CASE WHEN t.in_title THEN a.title ELSE a.text END AS BLOB));
-- counts kept by the analysis and by triggers agree with the rows they count
SELECT 'person quote count wrong', count(*) FROM people p
    WHERE n_quotes <> (SELECT count(*) FROM quotes q WHERE q.person = p.id AND q.kind <> 'nested');
SELECT 'venue name count wrong', count(*) FROM venue_names v
    WHERE articles <> (SELECT count(*) FROM article_venues x WHERE x.key = v.key AND x.name = v.name);
SELECT 'venue name missing', count(*) FROM (SELECT DISTINCT key, name FROM article_venues) x
    WHERE NOT EXISTS (SELECT 1 FROM venue_names v WHERE v.key = x.key AND v.name = x.name);
SELECT 'venue alias count wrong', count(*) FROM venue_alias v
    WHERE articles <> (SELECT count(*) FROM venue_evidence x
                       WHERE x.short_key = v.short_key AND x.full_key = v.full_key);
SELECT 'venue alias missing', count(*) FROM (SELECT DISTINCT short_key, full_key FROM venue_evidence) x
    WHERE NOT EXISTS (SELECT 1 FROM venue_alias v
                      WHERE v.short_key = x.short_key AND v.full_key = x.full_key);
