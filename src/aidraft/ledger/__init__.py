"""The notes ledger: notes items with ids, statuses and the cues that decided them."""

from aidraft.ledger.build import build_ledger, classify
from aidraft.ledger.model import Cue, CueKind, Ledger, LedgerFigure, LedgerItem, Status, note_id

__all__ = ["Cue", "CueKind", "Ledger", "LedgerFigure", "LedgerItem", "Status", "build_ledger", "classify", "note_id"]
