#!/bin/bash
# usage: [OUT=dir] [PYTHON=python] suites.sh ROOT TAG -> the suites with the code in ROOT into $OUT/TAG-*.json
R=$1; T=$2; O=$(realpath -m "${OUT:-results}"); mkdir -p $O; D=$(cd "$(dirname "$0")/../.." && pwd)
P="env PYTHONPATH=$R ${PYTHON:-python} -m graphfraud.scoring.study --people 20000"
cd $R
run() { name=$1; shift; $P "$@" --out $O/$T-$name.json > $O/$T-$name.log 2>&1; }
run adv --profile adversarial --seeds 460-479 --days 3
run young --profile adversarial --config $D/session12/young-desks.json --seeds 460-469 --days 3
run ycd --profile adversarial --config $D/session13/young-call-desks-adversarial.json --seeds 460-469 --days 3
run hold --profile holdout --seeds 460-469 --days 3
run agedadv --profile adversarial --config $D/session12/aged-rings-adversarial.json --seeds 460-464 --days 3
run agedhold --profile holdout --config $D/session12/aged-rings-holdout.json --seeds 460-464 --days 3
run nosub --profile adversarial --seeds 460-469 --days 3 --without-subscribers
run youngnosub --profile adversarial --config $D/session12/young-desks.json --seeds 460-464 --days 3 --without-subscribers
run adv7 --profile adversarial --seeds 460-464 --days 7
run young7 --profile adversarial --config $D/session12/young-desks.json --seeds 460-464 --days 7
run hold200k --profile holdout --seeds 460-460 --days 3 --people 200000
run adv200k --profile adversarial --seeds 461-461 --days 3 --people 200000
echo done
