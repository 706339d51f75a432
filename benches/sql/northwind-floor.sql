-- rules/northwind.lead as the least work an exact query must do, written by
-- hand for DuckDB: a floor for `qualify compile --to sql`, for
-- benches/compare.sh. @DATA@ and @OUT@ are replaced by the script; the as-of
-- date is 2026-11-23. Output: id, score and stage, as benches/sql/northwind.sql.
--
-- It does what benches/sql/northwind.sql does, plus only what giving
-- `score`'s answer on every file requires, each in the cheapest form
-- measured (docs/benchmarks.md):
-- - the file is read as text: a sniffed type fails the whole query on the
--   first cell past the sample that does not fit it, where `score` rejects
--   that one row;
-- - text cells are trimmed of Unicode white space (DuckDB's `trim` takes
--   only spaces), by the fast test `score`'s generated SQL uses: a cell that
--   starts and ends with visible ASCII is its own trim;
-- - a row with a cell `score` would reject is not scored: a required value
--   missing, a number DuckDB reads but `score` does not (`1_000`, `inf`),
--   an unreadable date, a value outside `one of`, a yes/no that is
--   neither.
-- It is still generous to itself: no reject reason, no Unicode case folding
-- (the generated SQL folds non-ASCII text as Rust does), numbers and dates by
-- DuckDB's casts without the rest of `score`'s checks, no `disqualified` or
-- `matched` column. Each piece it adds is needed for `score`'s answer on
-- some file, so an exact query does at least this much work; that is a
-- measurement of the cheapest forms found, not a proof over every query.
COPY (
WITH src AS (
  SELECT * FROM read_csv('@DATA@', header=true, all_varchar=true)
), cells AS (
  SELECT "Inquiry ID",
    NULLIF(CASE WHEN unicode("Inquiry ID") BETWEEN 33 AND 126 AND unicode(right("Inquiry ID", 1)) BETWEEN 33 AND 126
                 THEN "Inquiry ID" ELSE trim("Inquiry ID", chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(32) || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288)) END, '') AS id_text,
    NULLIF(CASE WHEN unicode(job_title) BETWEEN 33 AND 126 AND unicode(right(job_title, 1)) BETWEEN 33 AND 126
                 THEN job_title ELSE trim(job_title, chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(32) || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288)) END, '') AS job_title,
    NULLIF(CASE WHEN unicode(state) BETWEEN 33 AND 126 AND unicode(right(state, 1)) BETWEEN 33 AND 126
                 THEN state ELSE trim(state, chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(32) || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288)) END, '') AS state,
    NULLIF(CASE WHEN unicode(timeline) BETWEEN 33 AND 126 AND unicode(right(timeline, 1)) BETWEEN 33 AND 126
                 THEN timeline ELSE trim(timeline, chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(32) || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288)) END, '') AS timeline,
    NULLIF(CASE WHEN unicode(email) BETWEEN 33 AND 126 AND unicode(right(email, 1)) BETWEEN 33 AND 126
                 THEN email ELSE trim(email, chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(32) || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288)) END, '') AS email,
    NULLIF(CASE WHEN unicode(demo_requested) BETWEEN 33 AND 126 AND unicode(right(demo_requested, 1)) BETWEEN 33 AND 126
                 THEN demo_requested ELSE trim(demo_requested, chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(32) || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288)) END, '') AS demo_requested,
    NULLIF(CASE WHEN unicode(source) BETWEEN 33 AND 126 AND unicode(right(source, 1)) BETWEEN 33 AND 126
                 THEN source ELSE trim(source, chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(32) || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288)) END, '') AS source,
    TRY_CAST(company_size AS DOUBLE) AS company_size,
    TRY_CAST("Annual Budget (USD)" AS DOUBLE) AS budget,
    TRY_CAST(pages_viewed AS DOUBLE) AS pages_viewed,
    TRY_CAST(call_attempts AS DOUBLE) AS call_attempts,
    TRY_CAST(email_attempts AS DOUBLE) AS email_attempts,
    TRY_CAST(last_activity AS DATE) AS last_activity,
    TRY_CAST(handed_off AS DATE) AS handed_off,
    company_size AS size_text, "Annual Budget (USD)" AS budget_text, pages_viewed AS pages_text,
    call_attempts AS calls_text, email_attempts AS emails_text, handed_off AS handed_off_text
  FROM src
), checked AS (
  SELECT *, NOT (
      id_text IS NOT NULL AND source IS NOT NULL AND email IS NOT NULL
      AND timeline IS NOT NULL AND state IS NOT NULL
      AND (size_text IS NULL OR (isfinite(company_size) AND NOT contains(size_text, '_')))
      AND (budget_text IS NULL OR (isfinite(budget) AND NOT contains(budget_text, '_')))
      AND isfinite(pages_viewed) AND NOT contains(pages_text, '_')
      AND isfinite(call_attempts) AND NOT contains(calls_text, '_')
      AND isfinite(email_attempts) AND NOT contains(emails_text, '_')
      AND last_activity IS NOT NULL
      AND (handed_off_text IS NULL OR handed_off IS NOT NULL)
      AND lower(source) IN ('web', 'inbound call', 'event', 'direct mail', 'teleprospecting')
      AND lower(timeline) IN ('now', 'this quarter', 'this year', 'unknown')
      AND lower(demo_requested) IN ('yes', 'true', 'y', '1', 'no', 'false', 'n', '0')
    ) AS rejected
  FROM cells
), t AS (
  SELECT *,
    (job_title IS NOT NULL AND regexp_matches(job_title, '(?i)owner|dentist|director|chief|vp')) AS c_dm,
    (company_size BETWEEN 5 AND 200) AS c_size,
    (budget >= 10000) AS c_budget,
    (lower(state) IN ('oh','pa','mi','in')) AS c_close,
    (lower(demo_requested) IN ('yes','true','y','1')) AS c_demo,
    (lower(timeline) IN ('now','this quarter')) AS c_buy,
    (DATE '2026-11-23' - last_activity > 30) AS c_quiet,
    (5 * ((DATE '2026-11-23' - DATE '1970-01-01' + 3) // 7)
       + least((DATE '2026-11-23' - DATE '1970-01-01' + 3) % 7 + 1, 5))
    - (5 * ((handed_off - DATE '1970-01-01' + 3) // 7)
       + least((handed_off - DATE '1970-01-01' + 3) % 7 + 1, 5)) AS handoff_business_days
  FROM checked
), s AS (
  SELECT *,
    (coalesce(c_budget,false)::int + coalesce(c_dm,false)::int + coalesce(c_demo,false)::int + coalesce(c_buy,false)::int) >= 3 AS c_bant,
    CASE WHEN c_dm THEN 20 ELSE 0 END + CASE WHEN c_size THEN 10 ELSE 0 END + CASE WHEN c_budget THEN 15 ELSE 0 END
    + CASE WHEN c_close THEN 5 ELSE 0 END + CASE WHEN c_demo THEN 30 ELSE 0 END + CASE WHEN c_buy THEN 20 ELSE 0 END
    + greatest(least(2 * pages_viewed, 10), -10) + CASE WHEN c_quiet THEN -15 ELSE 0 END AS score
  FROM t
)
SELECT "Inquiry ID" AS id, CASE WHEN NOT rejected THEN score END AS score,
  CASE WHEN rejected THEN NULL
       WHEN lower(email) LIKE '%@rivalimaging.com' OR lower(job_title) LIKE '%student%' THEN 'disqualified'
       WHEN handed_off IS NOT NULL AND call_attempts >= 4 AND email_attempts >= 2 AND handoff_business_days >= 10 THEN 'return to marketing'
       WHEN score >= 60 AND c_bant THEN 'sales ready'
       WHEN score >= 30 THEN 'marketing qualified'
       ELSE 'nurture' END AS stage
FROM s
) TO '@OUT@' (HEADER);
