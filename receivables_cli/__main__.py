from receivables_cli.cli import main

main()
