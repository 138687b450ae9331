"""Election statistics for Birlik: result files, the quick count and election forensics.

Plain Python on NumPy arrays and dataclasses, with no Django import anywhere in the package, so
that every function can be tested and benchmarked on its own. The Django apps call it:

- ``electionstats.layouts``     read official per-station results (Russia, Albania, Georgia, or
                                any CSV/XLSX rows with a column mapping) into a ``ResultsTable``,
                                with every arithmetic failure reported per row
- ``electionstats.sampling``    stratified random sample of stations from a recorded seed, and
                                the sample-size calculator
- ``electionstats.quickcount``  ratio estimates of shares, turnout and invalid ballots with
                                margins, per stratum and region, and the convergence series
- ``electionstats.forensics``   distributions, fingerprint, integer percentages, digit tests,
                                the dip test, a regional breakdown and stations that stand out
"""
