-- rules/northwind.lead written by hand as DuckDB SQL, for benches/compare.sh.
-- @DATA@ and @OUT@ are replaced by the script; the as-of date is 2026-11-23.
-- Business days since hand-off use the definition's count (weekdays in
-- (handed_off, as of]; the definition lists no holidays). Output: id, score
-- and stage; compare.sh checks them against qualify's. Yes/no cells are
-- trimmed like text; "+2 per pages_viewed, at most 10" is capped both ways
-- (never below -10). pages_viewed is required, so never NULL here (DuckDB's
-- least and greatest skip NULLs).
COPY (
WITH t AS (
  SELECT *,
    (job_title IS NOT NULL AND regexp_matches(job_title, '(?i)owner|dentist|director|chief|vp')) AS c_dm,
    (company_size BETWEEN 5 AND 200) AS c_size,
    ("Annual Budget (USD)" >= 10000) AS c_budget,
    (lower(trim(state)) IN ('oh','pa','mi','in')) AS c_close,
    (lower(trim(demo_requested)) IN ('yes','true','y','1')) AS c_demo,
    (lower(trim(timeline)) IN ('now','this quarter')) AS c_buy,
    (DATE '2026-11-23' - CAST(last_activity AS DATE) > 30) AS c_quiet,
    (5 * ((DATE '2026-11-23' - DATE '1970-01-01' + 3) // 7)
       + least((DATE '2026-11-23' - DATE '1970-01-01' + 3) % 7 + 1, 5))
    - (5 * ((CAST(handed_off AS DATE) - DATE '1970-01-01' + 3) // 7)
       + least((CAST(handed_off AS DATE) - DATE '1970-01-01' + 3) % 7 + 1, 5)) AS handoff_business_days
  FROM read_csv('@DATA@', header=true, all_varchar=false)
), s AS (
  SELECT *,
    (coalesce(c_budget,false)::int + coalesce(c_dm,false)::int + coalesce(c_demo,false)::int + coalesce(c_buy,false)::int) >= 3 AS c_bant,
    CASE WHEN c_dm THEN 20 ELSE 0 END + CASE WHEN c_size THEN 10 ELSE 0 END + CASE WHEN c_budget THEN 15 ELSE 0 END
    + CASE WHEN c_close THEN 5 ELSE 0 END + CASE WHEN c_demo THEN 30 ELSE 0 END + CASE WHEN c_buy THEN 20 ELSE 0 END
    + greatest(least(2 * pages_viewed, 10), -10) + CASE WHEN c_quiet THEN -15 ELSE 0 END AS score
  FROM t
)
SELECT "Inquiry ID" AS id, score,
  CASE WHEN lower(trim(email)) LIKE '%@rivalimaging.com' OR lower(trim(job_title)) LIKE '%student%' THEN 'disqualified'
       WHEN handed_off IS NOT NULL AND call_attempts >= 4 AND email_attempts >= 2 AND handoff_business_days >= 10 THEN 'return to marketing'
       WHEN score >= 60 AND c_bant THEN 'sales ready'
       WHEN score >= 30 THEN 'marketing qualified'
       ELSE 'nurture' END AS stage
FROM s
) TO '@OUT@' (HEADER);
