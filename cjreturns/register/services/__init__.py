"""What can be done with the register: check, submit, answer a query, decide, see status, chase.

Every action the portal, the API and the CLI offer is one function in these modules, so
permissions, versioning and the audit log are decided in one place. Views never touch models
directly for anything but display. One module per concern, imported by its own name (this
package re-exports nothing):

- `errors`: the refusals the register answers with
- `audit`: the append-only audit log
- `years`: reporting years, their collections and deadlines; `partnerships`: the 30 of them
- `accounts`: coordinators, analysts and their API tokens
- `intake`: checking an upload and keeping it as a version
- `records`: a submission as its viewers see it: queries, history, the API's dict
- `decisions`: answering queries and CJS's accept or return
- `progress`: every partnership's status for a year, the chase list, the accepted versions
"""
