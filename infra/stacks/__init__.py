"""carecycle's CDK constructs: one stack, one construct per concern (data, messaging, workflow,
functions, alarms), each built from `chalicelib.definitions`."""
