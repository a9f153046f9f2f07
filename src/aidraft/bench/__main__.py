from aidraft.bench.run import main

main()
