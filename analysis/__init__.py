"""Common Ground's analysis: plain data in, plain results out.

This package never imports Flask or the database. The web app queries rows,
hands them to these functions as lists, dicts and networkx graphs, and renders
what comes back; the same functions run in tests, benchmarks and notebooks.

Modules
-------
representation
    Who is missing: sample vs population, confidence intervals, raking,
    representativeness; grouped input (pattern tables with counts) welcome.
suppression
    Small cells: the threshold rule, complementary cells published as safe
    ranges, and the minimum n below which a table shows no breakdown.
themes
    What people say: codebook tagging in several languages, sentiment,
    emerging phrases, inter-coder agreement.
graph
    Who works with whom: stakeholder network metrics, brokers, communities.
alignment
    Where priorities line up: Kendall's W, rank correlations, consensus.
"""
