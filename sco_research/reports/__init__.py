"""Layer 5: the notebooks as a product: parameters, rendering, the report site.

Depends on every layer below; nothing in the library depends on it.
"""
