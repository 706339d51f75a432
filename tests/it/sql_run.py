# Runs the SQL target's differential cases on one engine, in one process.
# argv: ENGINE (duckdb, postgres, spark), CASES.json, RESULTS.json.
# Each case: {"sql", "columns", "types" (per column: text, number, yesno,
# date), "rows"}; a table `t` is made with those columns and rows, and the
# case's query is run on it. A case with "events" ({"columns", "rows"}, all
# text) also gets a table `ev` of them. Each result: {"rows": [[...]]} or
# {"error": "..."}.
import json
import os
import sys

engine, cases_path, out_path = sys.argv[1:4]
cases = json.load(open(cases_path, encoding="utf-8"))

TYPES = {
    "duckdb": {"text": "VARCHAR", "number": "DOUBLE", "yesno": "BOOLEAN", "date": "DATE"},
    "postgres": {"text": "TEXT", "number": "DOUBLE PRECISION", "yesno": "BOOLEAN", "date": "DATE"},
}


def quoted(name):
    return '"' + name.replace('"', '""') + '"'


def plain(value):
    # Floats travel as their shortest exact text: a JSON reader may round.
    if isinstance(value, float):
        return {"f": repr(value)}
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    return str(value)


results = []
if engine in ("duckdb", "postgres"):
    if engine == "duckdb":
        import duckdb

        con = duckdb.connect()
        con.execute("SET threads = 1")
        mark = "?"

        def execute(sql, params=None):
            return con.execute(sql, params) if params is not None else con.execute(sql)

        def many(sql, rows):
            con.executemany(sql, rows)

        def fetch(sql):
            return con.execute(sql).fetchall()

    else:
        import psycopg

        con = psycopg.connect(
            host=os.environ["QUALIFY_PGHOST"],
            port=os.environ.get("QUALIFY_PGPORT", "5432"),
            user=os.environ.get("QUALIFY_PGUSER", "postgres"),
            dbname="postgres",
            autocommit=True,
        )
        mark = "%s"
        cur = con.cursor()

        def execute(sql, params=None):
            cur.execute(sql, params)

        def many(sql, rows):
            cur.executemany(sql, rows)

        def fetch(sql):
            cur.execute(sql)
            return cur.fetchall()

    types = TYPES[engine]
    for case in cases:
        try:
            execute("DROP TABLE IF EXISTS t")
            cols = case["columns"]
            kinds = case["types"]
            execute(
                "CREATE TABLE t ("
                + ", ".join(quoted(c) + " " + types[k] for c, k in zip(cols, kinds))
                + ")"
            )
            if case["rows"]:
                marks = ", ".join(
                    f"CAST({mark} AS DATE)" if k == "date" else mark for k in kinds
                )
                many(f"INSERT INTO t VALUES ({marks})", [tuple(r) for r in case["rows"]])
            execute("DROP TABLE IF EXISTS ev")
            if "events" in case:
                ev = case["events"]
                execute(
                    "CREATE TABLE ev ("
                    + ", ".join(quoted(c) + " " + types["text"] for c in ev["columns"])
                    + ")"
                )
                if ev["rows"]:
                    marks = ", ".join(mark for _ in ev["columns"])
                    many(f"INSERT INTO ev VALUES ({marks})", [tuple(r) for r in ev["rows"]])
            rows = fetch(case["sql"])
            results.append({"rows": [[plain(v) for v in r] for r in rows]})
        except Exception as e:  # the case fails, with the engine's words
            results.append({"error": f"{type(e).__name__}: {e}"})
elif engine == "spark":
    import datetime

    from pyspark.sql import SparkSession
    from pyspark.sql.types import (BooleanType, DateType, DoubleType, StringType,
                                   StructField, StructType)

    spark = (
        SparkSession.builder.master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.driver.memory", "3g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark_types = {"text": StringType(), "number": DoubleType(), "yesno": BooleanType(), "date": DateType()}
    for case in cases:
        try:
            kinds = case["types"]
            schema = StructType(
                [StructField(c, spark_types[k], True) for c, k in zip(case["columns"], kinds)]
            )
            rows = [
                [
                    datetime.date.fromisoformat(v) if k == "date" and v is not None else v
                    for v, k in zip(r, kinds)
                ]
                for r in case["rows"]
            ]
            spark.createDataFrame(rows, schema).coalesce(1).createOrReplaceTempView("t")
            if "events" in case:
                ev = case["events"]
                ev_schema = StructType([StructField(c, StringType(), True) for c in ev["columns"]])
                spark.createDataFrame(ev["rows"], ev_schema).coalesce(1).createOrReplaceTempView("ev")
            out = spark.sql(case["sql"].rstrip().rstrip(";")).collect()
            results.append({"rows": [[plain(v) for v in r] for r in out]})
        except Exception as e:
            results.append({"error": f"{type(e).__name__}: {str(e)[:2000]}"})
    spark.stop()
else:
    sys.exit(f"unknown engine {engine}")

json.dump(results, open(out_path, "w", encoding="utf-8"))
