"""Redis and RQ: the store of abstracts and claims, the queue, and the extraction job.

Every function here takes its Redis connection as an argument; nothing holds one globally.
"""
