package org.orderly.mwl.store;

/**
 * Finds an order: by ({@code sender}, Placer Order Number) when a placer number is given, else by
 * ({@code sender}, Accession Number).
 */
public record OrderRef(String sender, String placerOrderNumber, String accessionNumber) {

    public OrderRef {
        sender = sender == null ? "" : sender;
        if (blank(placerOrderNumber) && blank(accessionNumber)) {
            throw new IllegalArgumentException("an order is found by placer order number or accession number");
        }
    }

    public static OrderRef byPlacer(String sender, String placerOrderNumber) {
        return new OrderRef(sender, placerOrderNumber, null);
    }

    public static OrderRef byAccession(String sender, String accessionNumber) {
        return new OrderRef(sender, null, accessionNumber);
    }

    boolean usesPlacer() {
        return !blank(placerOrderNumber);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
