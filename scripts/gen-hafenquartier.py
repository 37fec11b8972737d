#!/usr/bin/env python3
"""Generate the synthetic Hafenquartier example dataset (Python 3.11, stdlib only).

Models 30 LoRaWAN sensors on street lamps in Dortmund's Hafenquartier for the
year 2021, one reading every 30 minutes: a seasonal and a daily cycle, day-to-day
weather (AR(1)), four heat waves, sunny vs shaded mounting, packet loss, outages,
a vandalised sensor, spikes, stuck sensors, duplicates (LoRaWAN retransmissions),
sensor error codes and a few corrupt lines.

THE DATA IS INVENTED. It resembles the real project only in its structure.
The output is deterministic for a given --seed (gzip without timestamp).

Usage:
    python3 scripts/gen-hafenquartier.py [--seed 2021] [--out data/sensors/hafenquartier]
Writes <out>/readings.csv.gz (canonical CSV) and <out>/sensors.yaml; then run
    drehbuch sensors summarize <out>/readings.csv.gz --sensors <out>/sensors.yaml --out <out>/summary.json
"""

import argparse
import datetime as dt
import gzip
import io
import math
import os
import random

N_SENSORS = 30
STEP_MIN = 30
YEAR = 2021

STREETS = [
    "Speicherstraße", "Schützenstraße", "Lagerhausstraße", "Franziusstraße",
    "Mallinckrodtstraße", "Kanalstraße", "Sunderweg", "Hafenpromenade",
    "Heroldstraße", "Lortzingstraße",
]

# (first day of year index, length in days, extra warmth in K)
HEAT_WAVES = [(165, 5, 7.0), (195, 5, 4.5), (223, 4, 5.5), (247, 5, 4.0)]


def solar_weight(hour_local: float, doy: int) -> float:
    """0..1, how strongly the sun heats a sunny-side housing at this hour."""
    day_len = 12.0 + 4.5 * math.sin(2 * math.pi * (doy - 80) / 365.0)
    rise, set_ = 13.3 - day_len / 2, 13.3 + day_len / 2
    if hour_local <= rise or hour_local >= set_:
        return 0.0
    return math.sin(math.pi * (hour_local - rise) / (set_ - rise)) ** 1.5


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "data", "sensors", "hafenquartier"))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)

    # --- sensors -----------------------------------------------------------------
    sensors = []
    for i in range(N_SENSORS):
        sid = f"HQ{i + 1:02d}"
        street = STREETS[i % len(STREETS)]
        lamp = 2 + (i * 7) % 23
        side = "sunny" if i % 5 in (0, 2) else "shaded"
        if i == N_SENSORS - 1:
            side = "screened"
        sensors.append({
            "id": sid,
            "street": street,
            "lamp": lamp,
            "side": side,
            "lat": round(51.5255 + rng.uniform(-0.004, 0.004), 5),
            "lon": round(7.4460 + rng.uniform(-0.006, 0.006), 5),
            "sun_bias": {"sunny": rng.uniform(1.8, 3.8), "shaded": rng.uniform(0.0, 0.5), "screened": 0.0}[side],
            "offset": rng.gauss(0.0, 0.25),
            "loss": rng.uniform(0.01, 0.08),
            "clock": rng.randint(0, 50),
        })

    # faults: outages (start day, days), vandalism, stuck episodes
    outages = {s["id"]: [] for s in sensors}
    for s in sensors:
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            outages[s["id"]].append((rng.randint(0, 350), rng.randint(1, 20)))
    vandalised = {"HQ07": 214}              # torn off on 2021-08-03, never came back
    outages["HQ13"].append((150, 45))       # battery empty through the June heat wave
    stuck = {"HQ04": (120, 2.5), "HQ21": (300, 1.5)}   # start day, days
    rows_bad = {"HQ11", "HQ18"}             # firmware writing corrupt lines now and then

    # --- weather -----------------------------------------------------------------
    days = 365
    anomaly = []
    a = 0.0
    for d in range(days):
        a = 0.72 * a + rng.gauss(0, 2.2)
        anomaly.append(a)
    cloud = [min(1.0, max(0.0, rng.betavariate(1.4, 1.6))) for _ in range(days)]
    heat = [0.0] * days
    for start, length, extra in HEAT_WAVES:
        for k in range(length):
            ramp = min(1.0, (k + 1) / 2, (length - k) / 1.5)
            heat[start + k] = max(heat[start + k], extra * ramp)
            cloud[start + k] = min(cloud[start + k], 0.2)

    berlin_offset = lambda t: 2 if dt.datetime(YEAR, 3, 28, 1) <= t < dt.datetime(YEAR, 10, 31, 1) else 1

    buf = io.StringIO()
    buf.write("sensor_id,timestamp,temperature_c,humidity_pct\n")
    t0 = dt.datetime(YEAR - 1, 12, 31, 23, 0)  # 2021-01-01 00:00 local (CET) in UTC
    n_steps = days * 24 * 60 // STEP_MIN
    for step in range(n_steps):
        t_utc = t0 + dt.timedelta(minutes=STEP_MIN * step)
        local = t_utc + dt.timedelta(hours=berlin_offset(t_utc))
        doy = min(local.timetuple().tm_yday - 1, days - 1)
        hour = local.hour + local.minute / 60
        season = 10.6 - 8.8 * math.cos(2 * math.pi * (doy - 18) / 365.0)
        amp = (3.0 + 3.5 * math.sin(math.pi * doy / 365.0)) * (1.2 - 0.6 * cloud[doy])
        daily = amp * math.cos(2 * math.pi * (hour - 15.0) / 24.0)
        base = season + anomaly[doy] + heat[doy] + daily
        urban_night = 1.2 * (1 - solar_weight(hour, doy)) * (1 - cloud[doy])
        for s in sensors:
            sid = s["id"]
            if sid in vandalised and doy >= vandalised[sid]:
                continue
            if any(a <= doy < a + n for a, n in outages[sid]):
                continue
            if rng.random() < s["loss"]:
                continue
            sun = s["sun_bias"] * solar_weight(hour, doy) * (1 - 0.8 * cloud[doy])
            v = base + urban_night + sun + s["offset"] + rng.gauss(0, 0.15)
            if sid in stuck:
                d0, n = stuck[sid]
                if d0 <= doy + hour / 24 < d0 + n:
                    v = round(season + anomaly[d0], 1)
            rh = 78 - 2.4 * (v - season - anomaly[doy]) + rng.gauss(0, 3) - 8 * (1 - cloud[doy])
            rh = min(100.0, max(18.0, rh))
            ts = (t_utc + dt.timedelta(seconds=s["clock"] + rng.randint(0, 20))).strftime("%Y-%m-%dT%H:%M:%SZ")
            r = rng.random()
            if r < 0.0004:
                v += rng.choice([-1, 1]) * rng.uniform(9, 16)        # spike
            elif r < 0.0006:
                v = rng.choice([-99.9, 127.5])                      # sensor error code
            line = f"{sid},{ts},{v:.1f},{rh:.0f}\n"
            if sid in rows_bad and rng.random() < 0.0015:
                line = rng.choice([
                    f"{sid},{ts},ERR,\n",
                    f"{sid},{ts[:13]}\n",
                    f"{sid};{ts};{v:.1f}\n",
                    "\x00\x00\x00\n",
                ])
            buf.write(line)
            if rng.random() < 0.002:
                buf.write(line)                                     # retransmission
    raw = buf.getvalue().encode("utf-8")
    gz_path = os.path.join(args.out, "readings.csv.gz")
    with open(gz_path, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as g:
            g.write(raw)

    # --- sensors.yaml ------------------------------------------------------------
    y = []
    y.append("# Synthetic example dataset, generated by scripts/gen-hafenquartier.py --seed %d." % args.seed)
    y.append("# Regenerate: python3 scripts/gen-hafenquartier.py && drehbuch sensors summarize \\")
    y.append("#   data/sensors/hafenquartier/readings.csv.gz --sensors data/sensors/hafenquartier/sensors.yaml \\")
    y.append("#   --out data/sensors/hafenquartier/summary.json")
    y.append("provenance:")
    y.append("  title: {de: \"Hafenquartier Dortmund 2021 (synthetisch)\", en: \"Hafenquartier Dortmund 2021 (synthetic)\", ro: \"Hafenquartier Dortmund 2021 (sintetic)\"}")
    y.append("  source: \"drehbuch example generator (scripts/gen-hafenquartier.py)\"")
    y.append("  licence: CC0 1.0")
    y.append("  licence_url: https://creativecommons.org/publicdomain/zero/1.0/")
    y.append("  attribution: \"Synthetic data modelled on the structure of the iResilience Hafenquartier network; no real measurements.\"")
    y.append("  unit: °C")
    y.append("  period: {from: %d-01-01, to: %d-12-31}" % (YEAR, YEAR))
    y.append("  thresholds: {hot_day: 30.0, summer_day: 25.0, tropical_night: 20.0, min_coverage_pct: 80}")
    y.append("  synthetic: true")
    y.append("  notes: \"30 sensors on street lamps, 30-minute interval; sunny-side housings overheat at midday; outages, a vandalised sensor (HQ07 from 2021-08-03), stuck sensors (HQ04, HQ21), spikes, duplicates and corrupt lines are built in.\"")
    y.append("sensors:")
    side_text = {
        "sunny": ("Sonnenseite, Gehäuse ohne Strahlungsschutz", "sunny side, housing without radiation shield", "partea însorită, carcasă fără protecție la radiații"),
        "shaded": ("Schattenseite", "shaded side", "partea umbrită"),
        "screened": ("Wetterhütte (Referenz)", "radiation screen (reference)", "adăpost meteorologic (referință)"),
    }
    for s in sensors:
        de, en, ro = side_text[s["side"]]
        y.append(f"  - id: {s['id']}")
        y.append(f"    name: {{de: \"{s['street']}, Leuchte {s['lamp']}\", en: \"{s['street']}, lamp {s['lamp']}\", ro: \"{s['street']}, stâlpul {s['lamp']}\"}}")
        y.append(f"    location: {{lat: {s['lat']}, lon: {s['lon']}, height_m: {3.3 if s['side'] != 'screened' else 2.0}}}")
        y.append(f"    mounting: {{side: {s['side']}, notes: {{de: \"{de}\", en: \"{en}\", ro: \"{ro}\"}}}}")
        if s["side"] == "screened":
            y.append("    reference: true")
        y.append(f"    interval_minutes: {STEP_MIN}")
    with open(os.path.join(args.out, "sensors.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(y) + "\n")
    n_lines = raw.count(b"\n") - 1
    print(f"wrote {gz_path} ({os.path.getsize(gz_path) / 1e6:.1f} MB, {n_lines} lines) and sensors.yaml")


if __name__ == "__main__":
    main()
