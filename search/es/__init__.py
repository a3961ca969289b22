"""Citizen search on Elasticsearch: connection, analysis checks, jieba segmentation, index documents, indexing, queries.

Nothing here imports Django: callers pass the client and the environment prefix (from settings), so the same code
serves web requests, tasks and management commands.
"""
