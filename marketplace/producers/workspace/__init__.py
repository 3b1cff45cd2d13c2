"""The producer workspace: where a producer's members, or an
operator acting as support, manage that producer's products, stock, images,
story and parcels. Mounted at /dashboard/workspace/, inside Oscar's
dashboard layout; Oscar's own catalogue and order dashboards are staff-only
(`marketplace.dashboard`).

Every view runs under `access.workspace_view`, which fixes *one* producer
for the request; every object is then looked up through that producer
(`Product.objects.of_producer`, `Parcel.objects.of_producer`), so another
producer's id is simply not found (404). Every write goes through
`workspace.services`, which records who changed what in `WorkspaceChange`.
"""
