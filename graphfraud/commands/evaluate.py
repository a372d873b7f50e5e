"""``graphfraud evaluate``: scores vs a simulated world's truth, beside the crude carrier rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from graphfraud.errors import InputFileError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["evaluate"]


def _read_csv(path: Path, required: set[str]) -> pd.DataFrame:
    import pandas as pd  # here, not at the top: every other command starts without pandas

    try:
        df = pd.read_csv(path, dtype={"number": str, "ring": str, "ring_id": str}, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise InputFileError(f"{path}: cannot read ({exc})") from exc
    missing = required - set(df.columns)
    if missing:
        raise InputFileError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    return df


def _crude_from_calls(calls: Path) -> pd.DataFrame:
    import pandas as pd

    from graphfraud.cdr import read_calls
    from graphfraud.features import CRUDE_RULE_COLUMN, compute_number_features
    from graphfraud.graph import build_call_graph
    from graphfraud.scoring import CRUDE_RULE_FANOUT

    graph = build_call_graph(read_calls(calls).table)
    f = compute_number_features(graph)
    return pd.DataFrame({"number": graph.numbers.to_pylist(),
                         "crude_rule": getattr(f, CRUDE_RULE_COLUMN) >= CRUDE_RULE_FANOUT})


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
        typer.Option("--calls", help="Calls file, to compute the crude rule when scores lack crude_rule."),
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
    t = _read_csv(truth, {"number", "persona", "fraud", "ring"})
    s = _read_csv(scores, {"number", "tier", "ring_id"})
    tokens = _tokenizer() if pseudonymize else None
    if tokens is not None:
        t["number"] = tokens(t["number"])
    if calls is not None:
        s = s.drop(columns=["crude_rule"], errors="ignore")
        crude = _crude_from_calls(calls)
        if tokens is not None:
            crude["number"] = tokens(crude["number"])
        s = s.merge(crude, on="number", how="left")
    if len(s) and not s["number"].isin(t["number"]).any():
        hint = ("tokens of another key?" if pseudonymize else
                "if they were written by score --pseudonymize, pass --pseudonymize with the same key")
        raise InputFileError(f"{scores}: none of its {len(s):,} numbers is in {truth} ({hint})")
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
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(ev.to_dict(), indent=2, default=float) + "\n")
