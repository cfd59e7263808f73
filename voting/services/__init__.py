"""Every write and transition of the livelihood-project cycle, one module per stage: `proposals` (群众提),
`ballots` (代表决), `projects` (政府办) and `evaluations` (人大评). Views, the API, admin actions, tasks and the
management command import from the modules (this package re-exports nothing); each service checks the state
under a row lock and records an event.
"""
