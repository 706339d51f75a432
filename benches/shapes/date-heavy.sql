-- benches/shapes/date-heavy.lead written by hand as DuckDB SQL (benches/shapes.sh).
-- @DATA@ and @OUT@ are replaced by the script; the as-of date is 2026-11-23.
-- Business days since D: weekdays in (D, as of] (counted from Monday
-- 1969-12-29, as benches/sql/northwind.sql does), less the listed holidays
-- that fall on a weekday on or before the as-of date and after D.
-- Output: id, score, stage.
COPY (
WITH t AS (
  SELECT id, created, first_contact, last_seen, demo_date, renewal,
    DATE '2026-11-23' - created AS since_created,
    DATE '2026-11-23' - last_seen AS since_seen,
    DATE '2026-11-23' - demo_date AS since_demo,
    DATE '2026-11-23' - renewal AS since_renewal
  FROM read_csv('@DATA@', header = true)
), b AS (
  SELECT *,
    (5 * ((DATE '2026-11-23' - DATE '1970-01-01' + 3) // 7)
       + least((DATE '2026-11-23' - DATE '1970-01-01' + 3) % 7 + 1, 5)) AS weekdays_to_as_of
  FROM t
), s AS (
  SELECT id,
    CASE WHEN since_created < 90 THEN 10 ELSE 0 END
    + CASE WHEN since_created > 540 THEN -5 ELSE 0 END
    + CASE WHEN weekdays_to_as_of
                - (5 * ((first_contact - DATE '1970-01-01' + 3) // 7)
                   + least((first_contact - DATE '1970-01-01' + 3) % 7 + 1, 5))
                - ((first_contact < DATE '2026-01-01')::int + (first_contact < DATE '2026-04-03')::int
                   + (first_contact < DATE '2026-04-06')::int + (first_contact < DATE '2026-05-01')::int
                   + (first_contact < DATE '2026-05-25')::int) <= 20 THEN 10 ELSE 0 END
    + CASE WHEN first_contact >= created THEN 5 ELSE 0 END
    + CASE WHEN since_seen <= 30 THEN 15 ELSE 0 END
    + CASE WHEN since_seen > 90 THEN -10 ELSE 0 END
    + CASE WHEN weekdays_to_as_of
                - (5 * ((last_seen - DATE '1970-01-01' + 3) // 7)
                   + least((last_seen - DATE '1970-01-01' + 3) % 7 + 1, 5))
                - ((last_seen < DATE '2026-01-01')::int + (last_seen < DATE '2026-04-03')::int
                   + (last_seen < DATE '2026-04-06')::int + (last_seen < DATE '2026-05-01')::int
                   + (last_seen < DATE '2026-05-25')::int) >= 40 THEN -5 ELSE 0 END
    + CASE WHEN demo_date BETWEEN DATE '2026-11-23' AND DATE '2026-12-23' THEN 20 ELSE 0 END
    + CASE WHEN since_demo BETWEEN 1 AND 60 THEN 5 ELSE 0 END
    + CASE WHEN since_renewal BETWEEN -90 AND 0 THEN 15 ELSE 0 END
    + CASE WHEN renewal < DATE '2026-11-23' THEN -15 ELSE 0 END
    -- max() of two dates is missing when either is (DuckDB's greatest skips NULLs).
    + CASE WHEN last_seen IS NOT NULL AND first_contact IS NOT NULL
             AND DATE '2026-11-23' - greatest(last_seen, first_contact) < 14 THEN 5 ELSE 0 END AS score
  FROM b
)
SELECT id, score,
  CASE WHEN score >= 25 THEN 'active' WHEN score >= 0 THEN 'watch' ELSE 'dormant' END AS stage
FROM s
) TO '@OUT@' (HEADER);
