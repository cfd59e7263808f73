"""Every write of the legislation app: drafts (drafts.py), opinions and forums (opinions.py), compilation and
feedback (compilation.py). Each checks the state, changes it in a transaction and raises liaison.errors."""
