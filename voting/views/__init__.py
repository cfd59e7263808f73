"""Pages of the livelihood-project cycle, one module per sub-domain: `proposals` (群众提: the public form and
status page, the staff's proposal screens), `ballots` (代表决: the delegate's ballot, the admin's ballot screens,
published results), `projects` (政府办: the 幸福账单, project pages, progress reports) and `evaluations` (人大评).
Every write calls voting.services."""
