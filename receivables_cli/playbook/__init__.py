"""The playbook: a case's state, working days and call windows, the rules, the agenda."""
