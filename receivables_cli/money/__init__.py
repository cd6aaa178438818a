"""Money and law: amounts, country profiles and base rates, the statement, the legal step."""
