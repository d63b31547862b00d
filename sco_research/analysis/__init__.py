"""Layer 2: functions of the data's frames (membership, summits and chairs, geography, trade, claims).

Each function reads the bundled tables through :mod:`sco_research.data` unless
a frame is passed in; nothing here draws or writes files.
"""
