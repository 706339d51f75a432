-- benches/shapes/narrow-many.lead written by hand as DuckDB SQL (benches/shapes.sh).
-- @DATA@ and @OUT@ are replaced by the script; the as-of date is 2026-11-23.
-- Output: id, score, stage.
COPY (
WITH t AS (
  SELECT id, lower(trim(title)) AS title, lower(trim(country)) AS country, lower(trim(plan)) AS plan,
    employees, revenue, visits, DATE '2026-11-23' - signed_up AS since_signup,
    DATE '2026-11-23' - last_seen AS since_seen, lower(newsletter) IN ('yes', 'true', 'y', '1') AS newsletter
  FROM read_csv('@DATA@', header = true)
), s AS (
  SELECT id,
    0
    + CASE WHEN visits > 0 THEN 1 ELSE 0 END
    + CASE WHEN visits > 2 THEN 1 ELSE 0 END
    + CASE WHEN visits > 4 THEN 1 ELSE 0 END
    + CASE WHEN visits > 6 THEN 1 ELSE 0 END
    + CASE WHEN visits > 8 THEN 1 ELSE 0 END
    + CASE WHEN visits > 10 THEN 1 ELSE 0 END
    + CASE WHEN visits > 12 THEN 1 ELSE 0 END
    + CASE WHEN visits > 14 THEN 1 ELSE 0 END
    + CASE WHEN visits > 16 THEN 1 ELSE 0 END
    + CASE WHEN visits > 18 THEN 1 ELSE 0 END
    + CASE WHEN visits > 20 THEN 1 ELSE 0 END
    + CASE WHEN visits > 22 THEN 1 ELSE 0 END
    + CASE WHEN visits > 24 THEN 1 ELSE 0 END
    + CASE WHEN visits > 26 THEN 1 ELSE 0 END
    + CASE WHEN visits > 28 THEN 1 ELSE 0 END
    + CASE WHEN visits > 30 THEN 1 ELSE 0 END
    + CASE WHEN visits > 32 THEN 1 ELSE 0 END
    + CASE WHEN visits > 34 THEN 1 ELSE 0 END
    + CASE WHEN visits > 36 THEN 1 ELSE 0 END
    + CASE WHEN visits > 38 THEN 1 ELSE 0 END
    + CASE WHEN employees >= 10 THEN 2 ELSE 0 END
    + CASE WHEN employees >= 25 THEN 2 ELSE 0 END
    + CASE WHEN employees >= 50 THEN 2 ELSE 0 END
    + CASE WHEN employees >= 100 THEN 2 ELSE 0 END
    + CASE WHEN employees >= 200 THEN 2 ELSE 0 END
    + CASE WHEN employees >= 300 THEN 2 ELSE 0 END
    + CASE WHEN employees >= 500 THEN 2 ELSE 0 END
    + CASE WHEN employees >= 750 THEN 2 ELSE 0 END
    + CASE WHEN employees >= 1000 THEN 2 ELSE 0 END
    + CASE WHEN employees >= 1500 THEN 2 ELSE 0 END
    + CASE WHEN employees >= 2000 THEN 2 ELSE 0 END
    + CASE WHEN employees >= 3000 THEN 2 ELSE 0 END
    + CASE WHEN revenue > 10000 THEN 3 ELSE 0 END
    + CASE WHEN revenue > 50000 THEN 3 ELSE 0 END
    + CASE WHEN revenue > 100000 THEN 3 ELSE 0 END
    + CASE WHEN revenue > 250000 THEN 3 ELSE 0 END
    + CASE WHEN revenue > 500000 THEN 3 ELSE 0 END
    + CASE WHEN revenue > 750000 THEN 3 ELSE 0 END
    + CASE WHEN revenue > 1000000 THEN 3 ELSE 0 END
    + CASE WHEN revenue > 1500000 THEN 3 ELSE 0 END
    + CASE WHEN title = 'ceo' THEN 4 ELSE 0 END
    + CASE WHEN title = 'cto' THEN 4 ELSE 0 END
    + CASE WHEN title = 'founder' THEN 4 ELSE 0 END
    + CASE WHEN title = 'owner' THEN 4 ELSE 0 END
    + CASE WHEN title = 'vp sales' THEN 4 ELSE 0 END
    + CASE WHEN title = 'intern' THEN -5 ELSE 0 END
    + CASE WHEN title = 'student' THEN -5 ELSE 0 END
    + CASE WHEN newsletter THEN 2 ELSE 0 END
    + CASE WHEN country = 'germany' THEN 2 ELSE 0 END
    + CASE WHEN country = 'france' THEN 2 ELSE 0 END
    + CASE WHEN country = 'united states' THEN 2 ELSE 0 END
    + CASE WHEN country = 'canada' THEN 2 ELSE 0 END
    + CASE WHEN country = 'japan' THEN 2 ELSE 0 END
    + CASE WHEN country = 'india' THEN 2 ELSE 0 END
    + CASE WHEN plan = 'pro' THEN 3 ELSE 0 END
    + CASE WHEN plan = 'team' THEN 5 ELSE 0 END
    + CASE WHEN plan = 'enterprise' THEN 8 ELSE 0 END
    + CASE WHEN since_signup > 365 THEN 2 ELSE 0 END
    + CASE WHEN since_seen <= 14 THEN 5 ELSE 0 END
    + CASE WHEN since_seen > 60 THEN -5 ELSE 0 END AS score
  FROM t
)
SELECT id, score,
  CASE WHEN score >= 60 THEN 'hot' WHEN score >= 30 THEN 'warm' ELSE 'cold' END AS stage
FROM s
) TO '@OUT@' (HEADER);
