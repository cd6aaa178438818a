from receivables_cli.cli import run

run()
