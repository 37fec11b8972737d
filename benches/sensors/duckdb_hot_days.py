#!/usr/bin/env python3
"""DuckDB equivalent of `drehbuch sensors summarize` (without quality checks or coverage):
daily maximum per sensor and Europe/Berlin calendar day, hot days (max >= 30 °C) per sensor
and year. Usage: duckdb_hot_days.py IN.csv"""
import sys
import duckdb

con = duckdb.connect()
con.execute("SET TimeZone = 'Europe/Berlin'")
total = con.execute(f"""
WITH daily AS (
  SELECT sensor_id, CAST(timezone('Europe/Berlin', "timestamp") AS DATE) AS day, max(temperature_c) AS tmax
  FROM read_csv('{sys.argv[1]}', header = true,
       columns = {{'sensor_id': 'VARCHAR', 'timestamp': 'TIMESTAMPTZ', 'temperature_c': 'DOUBLE', 'humidity_pct': 'DOUBLE'}})
  GROUP BY ALL),
per_year AS (
  SELECT sensor_id, year(day) AS year, count(*) FILTER (WHERE tmax >= 30.0) AS hot_days FROM daily GROUP BY ALL)
SELECT sum(hot_days) FROM per_year
""").fetchone()[0]
print(int(total))
