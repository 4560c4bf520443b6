#!/usr/bin/env bash
# Regenerates everything in scenarios/ that attain writes itself (docs/method.md):
#   * scenarios/calibration/{both,zhanhe-13fyp,zhumadian-13fyp}/ — `attain calibrate` on the two
#     review plans together (used by every forecast) and on each alone (used to draft the other
#     review plan out of sample);
#   * scenarios/<review-plan>-baseline.toml — each review plan drafted with the calibration of the
#     OTHER plan, so that `attain backtest` on it is an out-of-sample score;
#   * scenarios/init/<plan>-<variant>.toml — the drafts that the hand-written scenarios extend;
#   * scenarios/<plan>-<variant>.toml for the plans that have no hand-written scenario.
# Hand-written scenarios (zhumadian/zhanhe/lankao/central-plains-ua *-baseline, -optimistic,
# -pessimistic and the *-13fyp-backtest files) are not touched.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
A=target/release/attain

$A calibrate seeds/zhumadian-13fyp.toml seeds/zhanhe-13fyp.toml --out scenarios/calibration/both --quiet
$A calibrate seeds/zhanhe-13fyp.toml --out scenarios/calibration/zhanhe-13fyp --quiet >/dev/null
$A calibrate seeds/zhumadian-13fyp.toml --out scenarios/calibration/zhumadian-13fyp --quiet >/dev/null

$A init seeds/zhumadian-13fyp.toml --calibration scenarios/calibration/zhanhe-13fyp/calibration.toml \
  --seed 2016 --force --out scenarios/zhumadian-13fyp-baseline.toml
$A init seeds/zhanhe-13fyp.toml --calibration scenarios/calibration/zhumadian-13fyp/calibration.toml \
  --seed 2016 --force --out scenarios/zhanhe-13fyp-baseline.toml

# Plans with hand-written scenarios: drafts under init/, extended by the hand-written files.
for plan in zhumadian-14fyp zhanhe-14fyp lankao-14fyp central-plains-ua; do
  $A init "seeds/$plan.toml" --calibration scenarios/calibration/both/calibration.toml \
    --force --out "scenarios/init/$plan-baseline.toml"
done
# Plans without: the drafts are their scenarios.
for plan in lankao-prosperity lankao-reform lankao-urban-rural hanjiang-eco-belt huaihe-eco-belt; do
  for variant in baseline optimistic pessimistic; do
    $A init "seeds/$plan.toml" --calibration scenarios/calibration/both/calibration.toml \
      --variant "$variant" --force --out "scenarios/$plan-$variant.toml"
  done
done

# The hand-written optimistic/pessimistic variants extend their hand-written baseline (which extends
# the baseline draft); they take the variant's steering from the variant draft, copied between the
# markers below (everything else in those files is hand-written).
for pair in zhumadian:zhumadian-14fyp zhanhe:zhanhe-14fyp lankao:lankao-14fyp central-plains-ua:central-plains-ua; do
  stem=${pair%%:*}; plan=${pair#*:}
  for variant in optimistic pessimistic; do
    $A init "seeds/$plan.toml" --calibration scenarios/calibration/both/calibration.toml \
      --variant "$variant" --force --quiet --out "scenarios/init/$plan-$variant.toml"
    python3 - "scenarios/$stem-$variant.toml" "scenarios/init/$plan-$variant.toml" "$variant" <<'PY'
import re, sys
target, draft, variant = sys.argv[1:]
steer = re.search(r"^\[steering\]\n(?:.+\n)+?(?=\n)", open(draft, encoding="utf-8").read(), re.M).group(0)
begin = "# >>> steering of `attain init --variant %s` (scripts/regenerate-scenarios.sh; do not edit)\n" % variant
end = "# <<< steering\n"
text = open(target, encoding="utf-8").read()
block = begin + steer + end
if begin in text:
    text = re.sub(re.escape(begin) + r".*?" + re.escape(end), lambda _: block, text, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + block
open(target, "w", encoding="utf-8").write(text)
PY
  done
done
