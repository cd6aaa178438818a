"""The closed sets of words a case file and dun.yaml use: customer kinds, call outcomes, letter
templates, languages and the like.

Apart from the records in `model`, which reads them by these names: reading dun.yaml (its
`language:`) then needs no case record, and a warm `dun today` builds none.
"""

from __future__ import annotations

KINDS = ("private", "business", "corporate", "public")
RELATIONSHIPS = ("new", "regular", "key")
EVIDENCE = ("strong", "weak")
OUTCOMES = ("reached", "no_answer", "voicemail", "denied", "promised", "disputed", "hardship", "refused")
UNANSWERED = ("no_answer", "voicemail", "denied")
MEETING_OUTCOMES = tuple(o for o in OUTCOMES if o not in UNANSWERED)
ROUTES = ("dunning_court", "lawyer", "collection_agency", "debt_enforcement")
TEMPLATES = (
    "reminder", "dunning", "final-notice", "callback-request", "promise-confirmation",
    "installment-agreement", "payment-proposal", "down-payment-request", "settlement-offer",
    "dispute-resolution", "statement", "payment-thanks",
)
RECIPIENTS = ("contact", "assistant", "manager")
LANGUAGES = ("de", "en")
# what a customer's e-mail says (imports/mailkind reads it; the user confirms it in `dun work`)
REPLY_KINDS = ("paid", "promise", "instalments", "dispute", "invoice_request", "address_change", "out_of_office",
               "other")
CHANNELS = ("mail", "post")  # how letters reach the customer: e-mail (default when an address is known) or post
