#!/usr/bin/env python3
"""pandas equivalent of `drehbuch sensors summarize` (without quality checks or coverage):
daily maximum per sensor and Europe/Berlin calendar day, then hot days (max >= 30 °C) per
sensor and year. Reads in chunks of 2 million rows to keep memory bounded. Usage: pandas_hot_days.py IN.csv"""
import sys
import pandas as pd

parts = []
for chunk in pd.read_csv(sys.argv[1], usecols=["sensor_id", "timestamp", "temperature_c"],
                         dtype={"sensor_id": "category", "temperature_c": "float64"}, chunksize=2_000_000):
    ts = pd.to_datetime(chunk["timestamp"], utc=True, format="ISO8601").dt.tz_convert("Europe/Berlin")
    chunk = chunk.assign(day=ts.dt.tz_localize(None).dt.normalize())
    parts.append(chunk.groupby(["sensor_id", "day"], observed=True)["temperature_c"].max())
daily = pd.concat(parts).groupby(level=[0, 1], observed=True).max().reset_index()
daily["year"] = daily["day"].dt.year
hot = daily.assign(hot=daily["temperature_c"] >= 30.0).groupby(["sensor_id", "year"], observed=True)["hot"].sum()
print(int(hot.sum()))
