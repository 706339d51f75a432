-- benches/shapes/groups.lead written by hand as DuckDB SQL (benches/shapes.sh).
-- @DATA@ and @OUT@ are replaced by the script; the as-of date is 2026-11-23.
-- Decay: points × 0.5^(days / half-life), a future date counting as today.
-- DuckDB's greatest and least skip NULLs, so a missing date is kept missing by hand.
-- Output: id, score, fit, interest, stage, disqualified (the reason).
COPY (
WITH t AS (
  SELECT id,
    lower(trim(title)) IN ('ceo', 'cto', 'founder', 'owner') AS leader,
    employees BETWEEN 50 AND 2000 AS mid_size,
    budget >= 50000 AS has_budget,
    lower(trim(plan)) IN ('pro', 'team', 'enterprise') AS paid_plan,
    demo_date IS NOT NULL AS demo,
    greatest(DATE '2026-11-23' - demo_date, 0) AS demo_days,
    least(2 * visits, 20) AS reading_capped,
    CASE WHEN last_seen IS NOT NULL THEN greatest(DATE '2026-11-23' - last_seen, 0) END AS seen_days,
    lower(trial) IN ('yes', 'true', 'y', '1') AS trial,
    DATE '2026-11-23' - last_seen > 60 AS gone_quiet,
    least(3 * calls, 12) AS call_points,
    lower(trim(source)) IN ('referral', 'partner') AS referral,
    lower(newsletter) IN ('yes', 'true', 'y', '1') AS subscriber,
    visits >= 30 AS many_visits, calls >= 6 AS many_calls,
    lower(trim(notes)) = 'no budget' AS no_budget
  FROM read_csv('@DATA@', header = true)
), g AS (
  SELECT *,
    least(CASE WHEN leader THEN 20 ELSE 0 END + CASE WHEN mid_size THEN 15 ELSE 0 END
          + CASE WHEN has_budget THEN 15 ELSE 0 END + CASE WHEN paid_plan THEN 10 ELSE 0 END, 40) AS fit,
    greatest(least(
        CASE WHEN demo THEN 30 * pow(0.5, demo_days / 30) ELSE 0 END
        + coalesce(reading_capped * pow(0.5, seen_days / 14), 0)
        + CASE WHEN trial THEN 10 ELSE 0 END
        + CASE WHEN gone_quiet THEN -20 ELSE 0 END
        - call_points, 50), -15) AS interest,
    (leader IS TRUE)::int + (has_budget IS TRUE)::int + demo::int + trial::int >= 3 AS bant,
    many_visits::int + many_calls::int + subscriber::int + demo::int >= 2 AS engaged
  FROM t
), s AS (
  SELECT *,
    fit + interest + CASE WHEN referral THEN 5 ELSE 0 END + CASE WHEN subscriber THEN 2 ELSE 0 END
      + CASE WHEN engaged THEN 5 ELSE 0 END AS score,
    bant AND gone_quiet IS NOT TRUE AS qualified_fit
  FROM g
)
SELECT id, score, fit, interest,
  CASE WHEN no_budget THEN 'disqualified'
       WHEN score >= 60 AND qualified_fit THEN 'sales ready'
       WHEN fit >= 35 AND interest < 10 THEN 'fit but cold'
       WHEN score >= 30 THEN 'marketing qualified'
       ELSE 'nurture' END AS stage,
  CASE WHEN no_budget THEN 'no budget' END AS disqualified
FROM s
) TO '@OUT@' (HEADER);
