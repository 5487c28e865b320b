// Destinations arrive with the delivery issue.
export {};
