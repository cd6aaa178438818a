"""The agenda's order: what must be done first, then each channel in turn.

Kept apart from the playbook's rules: `dun today` sorts and counts the actions it takes from the
agenda cache without loading the rules, the fold or the case records.
"""

from __future__ import annotations

# owed confirmations and broken promises or instalments come before anything else
PRIORITY = {"confirm_promise": 0, "confirm_agreement": 0, "promise_broken": 0, "installment_missed": 0,
            "answer_reply": 0, "confirm_resolution": 0}
CHANNEL_PRIORITY = {"call": 1, "letter": 2, "meeting": 3, "decision": 4}
