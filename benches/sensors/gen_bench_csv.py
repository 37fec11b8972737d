#!/usr/bin/env python3
"""Write the benchmark input: canonical CSV, 57 sensors x 10 years x 30-minute readings
(~10 million rows, ~600 MB), clean data (no gaps, no faults) so that every tool must
find the same hot days. Deterministic. Usage: gen_bench_csv.py OUT.csv [N_SENSORS] [YEARS]"""
import math
import sys

out = sys.argv[1]
n_sensors = int(sys.argv[2]) if len(sys.argv) > 2 else 57
years = int(sys.argv[3]) if len(sys.argv) > 3 else 10
start = 1325376000  # 2012-01-01T00:00:00Z
steps = (years * 365 + years // 4) * 48
ids = [f"BENCH{i:03d}" for i in range(n_sensors)]
offsets = [((i * 37) % 23) / 10.0 - 1.0 for i in range(n_sensors)]

def iso(t):
    days, rem = divmod(t, 86400)
    # civil from days (Hinnant)
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y += m <= 2
    return f"{y:04d}-{m:02d}-{d:02d}T{rem // 3600:02d}:{rem % 3600 // 60:02d}:00Z"

with open(out, "w", buffering=1 << 20) as f:
    f.write("sensor_id,timestamp,temperature_c,humidity_pct\n")
    for s in range(steps):
        t = start + s * 1800
        day = t / 86400.0
        season = 10.5 - 9.0 * math.cos(2 * math.pi * (day % 365.25 - 18) / 365.25)
        weather = 4.0 * math.sin(day * 0.9) * math.sin(day * 0.31) + 3.0 * math.sin(day * 0.071)
        hour = (t % 86400) / 3600.0
        daily = 5.5 * math.cos(2 * math.pi * (hour - 14.0) / 24.0)
        base = season + weather + daily
        ts = iso(t)
        rh = int(70 - 2 * daily)
        f.write("".join(f"{ids[i]},{ts},{base + offsets[i] + ((s * 7919 + i * 104729) % 97) / 97.0 - 0.5:.1f},{rh}\n" for i in range(n_sensors)))
