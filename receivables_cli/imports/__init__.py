"""Reading what other tools produce: bank statements (camt, MT940, CSV) and e-invoices (UBL, CII, Factur-X)."""
