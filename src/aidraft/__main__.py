from aidraft.cli.app import main

main()
