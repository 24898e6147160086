"""Use cases shared by the command line and the window: import, analyze, export, browse.

Each long use case takes a progress callback and a cancel token.
"""
