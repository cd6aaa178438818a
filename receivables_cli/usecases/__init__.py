"""What a command does: reads the ledger, asks the playbook and the law, hands a prepared view to output."""
