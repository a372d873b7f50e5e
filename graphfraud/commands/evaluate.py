"""``graphfraud evaluate``: scores vs a simulated world's truth, beside the crude carrier rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from graphfraud.errors import InputFileError
from graphfraud.tiers import TIERS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["evaluate"]


def _read_csv(path: Path, required: set[str], what: str) -> pd.DataFrame:
    """Every column as text; blank lines dropped, the index kept so that ``index + 2`` is the line."""
    import pandas as pd  # here, not at the top: every other command starts without pandas

    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False)
    except (OSError, ValueError) as exc:
        raise InputFileError(f"{path}: cannot read ({exc})") from exc
    missing = required - set(df.columns)
    if missing:
        raise InputFileError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    df = df[df.ne("").any(axis=1)]
    if df.empty:
        raise InputFileError(f"{path}: no {what} (only a header)")
    return df


def _shown(value: str) -> str:
    """A bad cell for an error message; never one that may be a phone number."""
    if not value.strip():
        return "blank"
    if len(value) <= 20 and sum(c.isdigit() for c in value) < 5:
        return repr(value)
    return f"a value of {len(value)} characters (not shown: it may be a phone number)"


def _check_column(df: pd.DataFrame, path: Path, column: str, allowed: tuple[str, ...]) -> None:
    bad = ~df[column].isin(allowed)
    if bad.any():
        first = df.index[bad.to_numpy()][0]
        value = df.at[first, column]
        case = " (lower case)" if value.strip().lower() in allowed else ""
        raise InputFileError(f"{path}: line {int(first) + 2}: {column} is {_shown(value)}, "
                             f"expected one of {', '.join(allowed)}{case}")  # fmt: skip


def _check_numbers(df: pd.DataFrame, path: Path) -> None:
    """Every number present and given once (counts and lines only: numbers are personal data)."""
    blank = df["number"].str.strip().eq("")
    if blank.any():
        raise InputFileError(f"{path}: line {int(df.index[blank.to_numpy()][0]) + 2}: number is blank")
    repeat = df["number"].duplicated()
    if repeat.any():
        n = df.loc[repeat, "number"].nunique()
        first = int(df.index[repeat.to_numpy()][0]) + 2
        raise InputFileError(f"{path}: {n:,} number(s) appear more than once "
                             f"(the first repeat is on line {first})")  # fmt: skip


def _read_truth(path: Path) -> pd.DataFrame:
    t = _read_csv(path, {"number", "persona", "fraud", "ring"}, "numbers")
    _check_numbers(t, path)
    _check_column(t, path, "fraud", ("0", "1"))
    return t.assign(fraud=t["fraud"].astype(int)).reset_index(drop=True)


def _read_scores(path: Path) -> pd.DataFrame:
    s = _read_csv(path, {"number", "tier", "ring_id"}, "scores")
    _check_numbers(s, path)
    _check_column(s, path, "tier", TIERS)
    if "crude_rule" in s.columns:
        _check_column(s, path, "crude_rule", ("0", "1"))
        s = s.assign(crude_rule=s["crude_rule"].astype(int))
    return s.reset_index(drop=True)


def _crude_from_calls(calls: Path) -> pd.DataFrame:
    """``number, crude_rule`` (0/1) of every number that makes calls in ``calls``."""
    import pandas as pd
    import pyarrow as pa

    from graphfraud.cdr import read_calls
    from graphfraud.features import CRUDE_RULE_COLUMN, compute_number_features
    from graphfraud.graph import build_call_graph
    from graphfraud.scoring import CRUDE_RULE_FANOUT

    graph = build_call_graph(read_calls(calls).table)
    f = compute_number_features(graph)
    callers = f.out_calls > 0
    crude = getattr(f, CRUDE_RULE_COLUMN)[callers] >= CRUDE_RULE_FANOUT
    return pd.DataFrame({"number": graph.numbers.filter(pa.array(callers)).to_pylist(),
                         "crude_rule": crude.astype(int)})  # fmt: skip


def _tokenizer():
    """The settings' pseudonymizer as a function of a column of numbers (a clear error without a key)."""
    import pyarrow as pa

    from graphfraud.privacy import Pseudonymizer
    from graphfraud.settings import get_settings

    pseudo = Pseudonymizer.from_secret(get_settings().pseudonym_key)
    return lambda numbers: pseudo.tokens(pa.array(numbers.astype(str), pa.string())).to_pylist()


def evaluate(
    truth: Annotated[Path, typer.Option("--truth", help="truth.csv of a simulated world.")],
    scores: Annotated[Path, typer.Option("--scores", help="Scores CSV written by `graphfraud score`.")],
    calls: Annotated[
        Path | None,
        typer.Option("--calls", help="Calls file, to compute the crude rule when scores lack crude_rule "
                     "(a scored number that makes no calls there is not flagged by it)."),
    ] = None,
    json_path: Annotated[Path | None, typer.Option("--json", help="Also save the results as JSON.")] = None,
    pseudonymize: Annotated[
        bool,
        typer.Option("--pseudonymize", help="The scores hold keyed tokens (score --pseudonymize): "
                     "compare them with the truth's numbers turned into tokens of the same key."),
    ] = False,
) -> None:
    """Per persona: flagged (≥ verify_online) and disrupted (≥ verify_in_person) vs the crude rule
    (≥ 10 first-contact callees within 60 minutes → suspend); ring ARI; fraud recall."""
    from graphfraud.scoring.evaluation import evaluate_scores

    if json_path is not None:
        from graphfraud.outputs import check_outputs

        check_outputs([json_path], [truth, scores, calls])
    t = _read_truth(truth)
    s = _read_scores(scores)
    tokens = _tokenizer() if pseudonymize else None
    if tokens is not None:
        t["number"] = tokens(t["number"])
    if not s["number"].isin(t["number"]).any():
        hint = ("tokens of another key?" if pseudonymize else
                "if they were written by score --pseudonymize, pass --pseudonymize with the same key")
        raise InputFileError(f"{scores}: none of its {len(s):,} numbers is in {truth} ({hint})")
    no_calls = 0
    if calls is not None:
        crude = _crude_from_calls(calls)
        if crude.empty:
            raise InputFileError(f"{calls}: no calls to compute the crude rule from")
        if tokens is not None:
            crude["number"] = tokens(crude["number"])
        seen = s["number"].isin(crude["number"])
        if not seen.any():
            raise InputFileError(f"{calls}: none of its {len(crude):,} callers is among the {len(s):,} "
                                 f"numbers in {scores} (the calls of another world?)")  # fmt: skip
        # A number that made no calls there cannot trip the crude rule: not flagged.
        no_calls = int((~seen).sum())
        s = s.drop(columns=["crude_rule"], errors="ignore").merge(crude, on="number", how="left")
        s["crude_rule"] = s["crude_rule"].fillna(0).astype(int)
    crude_known = "crude_rule" in s.columns
    ev = evaluate_scores(t, s)

    table = Table(title="Detection vs the crude rule (shares of numbers that made calls)")
    for c in ("persona", "fraud", "count", "flagged", "disrupted", "crude rule"):
        table.add_column(c, justify="left" if c == "persona" else "right")

    def pct(x: float) -> str:
        return f"{100 * x:.1f}%"

    for _, r in ev.personas.iterrows():
        table.add_row(r["persona"], "yes" if r["fraud"] else "", f"{int(r['count']):,}", pct(r["flagged"]),
                      pct(r["disrupted"]), pct(r["crude"]) if crude_known else "n/a")  # fmt: skip
    table.add_section()
    for _, r in ev.groups.iterrows():
        table.add_row(f"[b]{r['group']}[/b]", "", f"{int(r['count']):,}", pct(r["flagged"]),
                      pct(r["disrupted"]), pct(r["crude"]) if crude_known else "n/a")  # fmt: skip
    console = Console()
    console.print(table)
    console.print(f"ring ARI (farms and camouflaged rings): {ev.ring_ari:.3f}   "
                  f"fraud recall (flagged): {ev.fraud_recall:.3f}")  # fmt: skip
    if not crude_known:
        console.print("crude rule: scores have no crude_rule column; pass --calls FILE")
    if no_calls:
        console.print(f"crude rule: {no_calls:,} scored number(s) made no calls in {calls}; "
                      "counted as not flagged")  # fmt: skip
    unscored = int((t["fraud"].eq(1) & ~t["number"].isin(s["number"])).sum())
    if unscored:  # scores of part of the world, or of another one: say so, not just a lower recall
        console.print(f"scores: {unscored:,} fraud number(s) of {truth} are not in {scores}; "
                      "counted as not flagged")  # fmt: skip
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(ev.to_dict(), indent=2, default=float) + "\n")
