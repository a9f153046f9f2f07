"""Personal data in petition notes: find it, mask it before a remote model sees it, restore it after.

Petition notes name petitioners and carry their ID, phone and bank card numbers and addresses.
None of that may reach a cloud endpoint: ``Masker`` swaps it for placeholders (〔人名甲〕) and
``aidraft.llm.masking.MaskingChatModel`` applies it to every request. Patterns live in
``genre/privacy.yaml``.
"""

from __future__ import annotations

from aidraft.privacy.detect import Span, detect, gb11643_valid, luhn_valid
from aidraft.privacy.mask import Masker, MaskSummary, ordinal

#: Printed (to stderr, in red) when a run sends notes to a remote endpoint with --no-mask.
NO_MASK_WARNING = (
    "WARNING --no-mask: petitioners' names, ID/phone/bank card numbers and addresses in the notes "
    "will be sent UNMASKED to the remote model endpoint (警告：个人信息将不经遮蔽发送给远程模型)"
)

__all__ = ["NO_MASK_WARNING", "MaskSummary", "Masker", "Span", "detect", "gb11643_valid", "luhn_valid", "ordinal"]
