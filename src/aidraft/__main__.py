from aidraft.cli.entry import run

run()
