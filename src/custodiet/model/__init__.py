"""The data model: schemas declared as YAML, value types, sources and statements.

Nothing here imports from another stage of the pipeline.
"""
