"""迁移: importing a department's legacy website (TRS, Hanweb, hand-made pages) into govsite."""
