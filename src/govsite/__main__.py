from govsite.cli import main

main()
