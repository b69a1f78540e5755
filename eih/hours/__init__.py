"""Hours actually worked, and care for the team (core, not a plugin).

- weekly timesheets (*urenverantwoording*) per expert, pre-filled from the
  plugins' records through the declared hook ``worked(region, expert, period)``;
  the expert adds other work and submits, the project lead approves or returns;
- contract and overtime per week (shrunk by leave, as the scheduler does) and an
  overtime balance with compensation as time off;
- blocked hours of "other work" and light weeks (*lichter werk*) that the
  planning round passes to the solver (``eih.planning.build``).

This file imports nothing on purpose: the planning round imports
:mod:`eih.hours.work` while it is itself being imported, and the pages (which
read the published plans) would close that circle. The app wires the pages in
through :mod:`eih.hours.views` (``init_app``, ``views``).
"""
